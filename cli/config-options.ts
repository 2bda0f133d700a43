import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { ValidationError } from '../lambda/domain/config/validation.js';
import { ENV } from '../lambda/environment.js';
import { parseFullConfig, runtimeConfigOf } from '../lib/deploy-schema.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/**
 * The configuration in `NOTIFIER_CONFIG`: the run-time keys the Lambda reads, and also the whole
 * `ecsTaskNotifier` object of a cdk.json (its deploy-only keys checked, then set aside).
 */
export function configFromEnvironment(text: string): NotifierConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${ENV.config} is not valid JSON (it holds the configuration as JSON text)`);
  }
  return runtimeConfig(json, ENV.config, (message) => message);
}

/** Reads `--config FILE`: a cdk.json, or a file holding just the ecsTaskNotifier object; a bad value names the file and the key. */
export async function loadConfig(file: string): Promise<NotifierConfig> {
  const json = await readJsonOption('--config', file);
  const context = (json as { context?: { ecsTaskNotifier?: unknown } } | null)?.context?.ecsTaskNotifier;
  return runtimeConfig(
    context ?? json,
    context ? 'context.ecsTaskNotifier' : '',
    (message) => `--config ${file}: ${message}`,
  );
}

function runtimeConfig(json: unknown, root: string, say: (message: string) => string): NotifierConfig {
  try {
    return runtimeConfigOf(parseFullConfig(json, root));
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(say(error.message));
    throw error;
  }
}
