/**
 * The list of command groups. Each group's register.ts only declares flags; its behaviour is
 * lazy-loaded in the action.
 */
import type { Command } from 'commander';
import type { ActionDeps } from '../program.js';
import { register as status } from './status/register.js';
import { register as jobs } from './jobs/register.js';
import { register as nodes } from './nodes/register.js';
import { register as queues } from './queues/register.js';
import { register as resv } from './resv/register.js';
import { register as config } from './config/register.js';
import { register as database } from './database/register.js';
import { register as demo } from './demo/register.js';
import { register as collect } from './collect/register.js';
import { register as history } from './history/register.js';
import { register as daemon } from './daemon/register.js';
import { register as analyze } from './analyze/register.js';
import { register as job } from './job/register.js';
import { register as exportCmd } from './export/register.js';
import { register as report } from './report/register.js';

export type Registrar = (program: Command, depsOf: ActionDeps) => void;

export function registerAll(program: Command, depsOf: ActionDeps): void {
  for (const r of [
    status,
    jobs,
    job,
    nodes,
    queues,
    resv,
    demo,
    collect,
    history,
    daemon,
    analyze,
    exportCmd,
    report,
    database,
    config,
  ]) {
    r(program, depsOf);
  }
}
