import { type NotifierConfig, parseNotifierConfig } from '../lambda/domain/config.js';
import { ValidationError } from '../lambda/domain/validation.js';
import { ENV, EnvironmentError, parseConfigText } from '../lambda/environment.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/** The configuration in `NOTIFIER_CONFIG`, read as the Lambda reads it; a bad value names the key. */
export function configFromEnvironment(text: string): NotifierConfig {
  try {
    return parseConfigText(text, ENV.config);
  } catch (error) {
    if (error instanceof EnvironmentError) throw new UsageError(error.message);
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
