/**
 * `daemon install-service`: write (or print) a systemd unit that runs the daemon in the
 * foreground; systemd restarts it on failure and stops it with SIGTERM.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Deps } from '../../../deps.js';
import { UserError } from '../../../cli/errors.js';
import { globalArgs, hostOf, type DaemonCommonOptions } from './common.js';

export interface InstallServiceOptions extends DaemonCommonOptions {
  user?: boolean;
  system?: boolean;
  print?: boolean;
  force?: boolean;
}

/** systemd quotes: a word with spaces or quotes is double-quoted, backslash-escaped. */
const q = (s: string) =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** The unit text. */
export function unitText(p: {
  node: string;
  script: string;
  args: string[];
  stopTimeoutS: number;
  system: boolean;
  user: string | undefined;
}): string {
  const exec = [p.node, p.script, ...p.args, 'daemon', 'start'].map(q).join(' ');
  return [
    '[Unit]',
    'Description=pbs-monitor collection daemon (PBS history)',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    ...(p.system && p.user ? [`User=${p.user}`] : []),
    `ExecStart=${exec}`,
    'ExecReload=/bin/kill -HUP $MAINPID',
    'Restart=on-failure',
    'RestartSec=30',
    'KillSignal=SIGTERM',
    `TimeoutStopSec=${p.stopTimeoutS}`,
    '',
    '[Install]',
    `WantedBy=${p.system ? 'multi-user.target' : 'default.target'}`,
    '',
  ].join('\n');
}

export async function run(opts: InstallServiceOptions, deps: Deps): Promise<void> {
  if (opts.user && opts.system) throw new UserError('choose one of --user and --system', 2);
  const host = await hostOf(opts);
  const { config } = await deps.config();
  const system = Boolean(opts.system);
  const text = unitText({
    node: host.execPath,
    script: resolve(host.scriptPath),
    args: globalArgs(deps),
    stopTimeoutS: Math.ceil(config.collection.shutdown_timeout + 15),
    system,
    user: deps.env.USER ?? deps.env.LOGNAME,
  });
  if (opts.print) {
    deps.io.write(text);
    return;
  }
  const path = system
    ? '/etc/systemd/system/pbs-monitor.service'
    : join(
        deps.env.XDG_CONFIG_HOME || join(deps.home, '.config'),
        'systemd/user/pbs-monitor.service',
      );
  if (existsSync(path) && !opts.force)
    throw new UserError(`${path} already exists: not overwriting it (use --force)`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { mode: 0o644 });
  } catch (err) {
    throw new UserError(`could not write ${path}: ${(err as Error).message}`, 1, { cause: err });
  }
  const ctl = system ? 'systemctl' : 'systemctl --user';
  deps.io.writeErr(
    `wrote ${path}\nnext: ${ctl} daemon-reload && ${ctl} enable --now pbs-monitor` +
      (system ? '' : '\n(to keep it running after you log out: loginctl enable-linger $USER)') +
      '\n',
  );
}
