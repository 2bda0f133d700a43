import { type NotifierConfig, parseNotifierConfig } from '../lambda/domain/config.js';
import { ValidationError } from '../lambda/domain/validation.js';
import { ENV } from '../lambda/environment.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/** The configuration in `NOTIFIER_CONFIG`, as the Lambda reads it; a bad value names the key. */
export function configFromEnvironment(text: string): NotifierConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${ENV.config} is not valid JSON (it holds the configuration as JSON text)`);
  }
  try {
    return parseNotifierConfig(json, ENV.config);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message);
    throw error;
  }
}

/** Reads `--config FILE`; a bad value names the file and the key. */
export async function loadConfig(file: string): Promise<NotifierConfig> {
  const json = await readJsonOption('--config', file);
  // A cdk.json, or a file holding just the ecsTaskNotifier object, both work.
  const context = (json as { context?: { ecsTaskNotifier?: unknown } } | null)?.context?.ecsTaskNotifier;
  try {
    return parseNotifierConfig(context ?? json, context ? 'context.ecsTaskNotifier' : '');
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`--config ${file}: ${error.message}`);
    throw error;
  }
}
