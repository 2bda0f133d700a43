import { startEcsApi } from '../../local/ecs-api.js';
import type { RunningServer } from '../../local/http.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

/** A saved DescribeTasks task as the wire carries it: timestamps as epoch seconds. */
export function toWire(task: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(task).map(([k, v]) => [
      k,
      k.endsWith('At') && typeof v === 'string' ? Date.parse(v) / 1000 : v,
    ]),
  );
}

/** Secrets Manager's GetSecretValue over JSON 1.1, answering one secret (and any `others`). */
export function startSecretsManager(
  secretArn: string,
  secretString: string,
  others: Record<string, string> = {},
): Promise<ScriptedServer> {
  const secrets = new Map([...Object.entries(others), [secretArn, secretString]]);
  return startScriptedServer(({ body }) => {
    const input = JSON.parse(body || '{}') as { SecretId?: string };
    const value = secrets.get(input.SecretId ?? '');
    if (value === undefined) {
      return {
        status: 400,
        body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }),
      };
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({
        ARN: input.SecretId,
        Name: 'slack-webhook',
        SecretString: value,
        VersionId: 'v1',
      }),
    };
  });
}

/** The local ECS API knowing the given wire tasks. */
export function startEcs(tasks: Record<string, unknown>[]): Promise<RunningServer> {
  return startEcsApi({ tasks, port: 0 });
}

/** An AWS JSON error on every request, e.g. throttling or access denied. */
export function startFailingAws(type: string, status = 400): Promise<ScriptedServer> {
  return startScriptedServer([
    {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: type, message: type }),
    },
  ]);
}

/** SQS's ChangeMessageVisibilityBatch over JSON 1.0: every entry taken, each call kept. */
export function startSqs(): Promise<ScriptedServer> {
  return startScriptedServer(({ body }) => {
    const input = JSON.parse(body || '{}') as { Entries?: { Id: string }[] };
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ Successful: (input.Entries ?? []).map(({ Id }) => ({ Id })), Failed: [] }),
    };
  });
}
