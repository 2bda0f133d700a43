// Talking to a Docker engine from tests: is one there, which Compose clients are installed, and
// commands that report their exit code instead of throwing.
import { execFile } from 'node:child_process';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command`; a missing program is exit code 127, like a shell's. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise((resolve) =>
    execFile(
      command,
      [...args],
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
        resolve({ code, stdout, stderr: stderr || (error && code === 127 ? error.message : '') });
      },
    ),
  );
}

/** Runs `command` and returns its stdout; any other exit code than 0 throws with its stderr. */
export async function runOk(
  command: string,
  args: readonly string[],
  options?: Parameters<typeof run>[2],
): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Why no test can use a Docker engine here, or undefined when `docker info` answers. */
export async function dockerEngineMissing(): Promise<string | undefined> {
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
  if (info.code === 0) return undefined;
  const line = info.stderr.trim().split('\n').find(Boolean) ?? `exit code ${info.code}`;
  return `no Docker engine answers \`docker info\`: ${line}`;
}

/** A Compose client: `docker compose` (v2) or `docker-compose` (v1). */
export interface ComposeClient {
  name: string;
  command: string;
  prefix: string[];
  version: string;
}

/** The Compose clients installed, v2 first. */
export async function composeClients(): Promise<ComposeClient[]> {
  const candidates = [
    { name: 'docker compose', command: 'docker', prefix: ['compose'] },
    { name: 'docker-compose', command: 'docker-compose', prefix: [] },
  ];
  const found: ComposeClient[] = [];
  for (const candidate of candidates) {
    const result = await run(candidate.command, [...candidate.prefix, 'version', '--short'], {
      timeoutMs: 20_000,
    });
    if (result.code === 0) found.push({ ...candidate, version: result.stdout.trim() });
  }
  return found;
}

/** The /24s (`a.b.c`) of every Docker network, so a test can take one no other network has. */
export async function dockerSubnets(): Promise<Set<string>> {
  const ids = (await runOk('docker', ['network', 'ls', '-q'])).split('\n').filter(Boolean);
  const out = await runOk('docker', [
    'network',
    'inspect',
    '--format',
    '{{range .IPAM.Config}}{{.Subnet}} {{end}}',
    ...ids,
  ]);
  return new Set(
    out
      .split(/\s+/)
      .filter(Boolean)
      .map((subnet) => subnet.split('.').slice(0, 3).join('.')),
  );
}

/** The IDs of the containers, networks or volumes that compose made for `project`. */
export async function projectResources(project: string): Promise<string[]> {
  const filter = ['--filter', `label=com.docker.compose.project=${project}`, '-q'];
  const lists = await Promise.all([
    runOk('docker', ['ps', '-a', ...filter]),
    runOk('docker', ['network', 'ls', ...filter]),
    runOk('docker', ['volume', 'ls', ...filter]),
  ]);
  return lists.flatMap((list) => list.split('\n').filter(Boolean));
}

/** Force-removes whatever compose left of `project`: containers first, then networks and volumes. */
export async function removeProjectResources(project: string): Promise<void> {
  const filter = ['--filter', `label=com.docker.compose.project=${project}`, '-q'];
  const ids = async (args: string[]) =>
    (await runOk('docker', [...args, ...filter])).split('\n').filter(Boolean);
  const containers = await ids(['ps', '-a']);
  if (containers.length > 0) await runOk('docker', ['rm', '-f', '-v', ...containers]);
  const networks = await ids(['network', 'ls']);
  if (networks.length > 0) await runOk('docker', ['network', 'rm', ...networks]);
  const volumes = await ids(['volume', 'ls']);
  if (volumes.length > 0) await runOk('docker', ['volume', 'rm', '-f', ...volumes]);
}
