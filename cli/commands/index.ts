import type { Command } from '../command.js';
import { replayCommand } from './replay.js';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: Command[] = [replayCommand];
