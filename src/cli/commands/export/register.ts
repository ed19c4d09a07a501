import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';

/** Placeholder: the 'export' commands are registered here. */
export function register(_program: Command, _depsOf: ActionDeps): void {}
