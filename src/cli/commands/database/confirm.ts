/** Destructive database commands ask first on a terminal, and need --yes anywhere else. */
import type { Deps } from '../../../deps.js';
import { UsageError, UserError } from '../../errors.js';

/** Returns when confirmed; throws when declined or when there is no terminal and no --yes. */
export async function confirmOrRefuse(deps: Deps, question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!deps.io.isStdinTTY) {
    throw new UsageError(
      `${question} — refusing without a terminal to ask on: pass --yes to confirm`,
    );
  }
  if (!(await deps.io.confirm(question))) throw new UserError('cancelled: nothing was changed');
}
