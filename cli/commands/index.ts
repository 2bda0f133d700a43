import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { localCommand } from './local.js';
import { metadataCommand } from './metadata.js';
import { notifyCommand } from './notify.js';
import { replayCommand } from './replay.js';
import { whoamiCommand } from './whoami.js';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: Command[] = [
  replayCommand,
  demoCommand,
  localCommand,
  metadataCommand,
  whoamiCommand,
  notifyCommand,
];
