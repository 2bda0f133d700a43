import type { Command } from '../command.js';

/** A command as `--help` lists it; its module (and what it imports) loads only when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: CommandEntry[] = [
  {
    name: 'replay',
    summary: 'replay saved events through the notifier (dry run, or posting to Slack)',
    load: async () => (await import('./replay.js')).replayCommand,
  },
  {
    name: 'redrive',
    summary: "move a dead-letter queue's messages back to the notifier's queue, across accounts",
    load: async () => (await import('./redrive.js')).redriveCommand,
  },
  {
    name: 'demo',
    summary: 'the offline demo: example events through the real pipeline to a local Slack',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'storm',
    summary: 'print a storm of task stop events (JSON Lines) to replay through a local Slack',
    load: async () => (await import('./storm.js')).stormCommand,
  },
  {
    name: 'local',
    summary: 'run the local metadata endpoint, ECS API and Slack sink (or write compose.yaml)',
    load: async () => (await import('./local.js')).localCommand,
  },
  {
    name: 'metadata',
    summary: 'serve captured task metadata responses as a local endpoint (metadata serve)',
    load: async () => (await import('./metadata.js')).metadataCommand,
  },
  {
    name: 'whoami',
    summary: 'print the cluster, task, family:revision and VPC of the task this runs in',
    load: async () => (await import('./whoami.js')).whoamiCommand,
  },
  {
    name: 'notify',
    summary: "post a message to Slack headed with this task's identity",
    load: async () => (await import('./notify.js')).notifyCommand,
  },
];
