import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTaskArn } from '../lambda/domain/task/arn.js';
import { type ListenOptions, listen, type RunningServer, sendJson } from './http.js';
import { containerStats, ownContainer, toV3Container, toV3Task } from './task-metadata.js';
import type { LocalTask } from './tasks.js';

type Json = Record<string, unknown>;

/** One task as the endpoint serves it: its `/task` response and what `/taskWithTags` adds. */
export interface MetadataSnapshot {
  id: string;
  task: Json;
  withTags: Json;
}

const TAG_KEYS = ['TaskTags', 'ContainerInstanceTags', 'Errors'];

/**
 * A snapshot from a captured `/task` or `/taskWithTags` response: the tag keys are served by
 * `/taskWithTags` only. The `<id>` is the task ID (or `task-N` when the ARN has none).
 */
export function snapshotFromResponse(response: Json, fallbackId: string): MetadataSnapshot {
  const task = Object.fromEntries(Object.entries(response).filter(([k]) => !TAG_KEYS.includes(k)));
  const tags = Object.fromEntries(Object.entries(response).filter(([k]) => TAG_KEYS.includes(k)));
  let id = fallbackId;
  try {
    id = parseTaskArn(String(response.TaskARN)).taskId;
  } catch {
    // the converter reports a bad ARN to the user; serving still works under the fallback ID
  }
  return { id, task, withTags: { ...task, TaskTags: {}, ...tags } };
}

/** The snapshots of generated tasks, tagged as `/taskWithTags` would show them. */
export function snapshotsFromTasks(tasks: readonly LocalTask[]): MetadataSnapshot[] {
  return tasks.map((t) => ({
    id: t.id,
    task: t.metadata,
    withTags: {
      ...t.metadata,
      TaskTags: t.facts.tags,
      ...(t.facts.launchType === 'EC2' ? { ContainerInstanceTags: { 'capacity-group': 'batch' } } : {}),
    },
  }));
}

const ROUTE = /^\/(v3|v4)\/([^/]+)(\/task|\/taskWithTags|\/stats|\/task\/stats)?\/?$/;

/**
 * The task metadata endpoint: `/v4/<id>`, `/v4/<id>/task`, `/v4/<id>/taskWithTags`,
 * `/v4/<id>/stats`, `/v4/<id>/task/stats` and the v3 paths (v3 answers with v3's fewer fields).
 */
export function startMetadataServer(
  options: ListenOptions & { snapshots: readonly MetadataSnapshot[] },
): Promise<RunningServer> {
  const byId = new Map(options.snapshots.map((s) => [s.id, s]));
  return listen((req, res) => handle(req, res, byId), options);
}

function handle(req: IncomingMessage, res: ServerResponse, byId: Map<string, MetadataSnapshot>): void {
  const [status, body] = answer(req, byId);
  sendJson(res, status, body);
}

function answer(req: IncomingMessage, byId: Map<string, MetadataSnapshot>): [number, unknown] {
  if (req.method !== 'GET') return [405, { message: 'the metadata endpoint is read-only (GET)' }];
  const path = new URL(req.url ?? '/', 'http://metadata').pathname;
  const match = ROUTE.exec(path);
  const snapshot = match ? byId.get(decodeURIComponent(match[2] ?? '')) : undefined;
  if (!match || !snapshot) {
    return [404, { message: `no such path: ${path}`, paths: [...byId.keys()].map((id) => `/v4/${id}`) }];
  }
  const v3 = match[1] === 'v3';
  const route = match[3] ?? '';
  const container = ownContainer(snapshot.task);
  const noContainer: [number, unknown] = [404, { message: 'this task snapshot has no containers' }];
  switch (route) {
    case '':
      return container ? [200, v3 ? toV3Container(container) : container] : noContainer;
    case '/task':
      return [200, v3 ? toV3Task(snapshot.task) : snapshot.task];
    case '/taskWithTags':
      return v3 ? [404, { message: 'taskWithTags is a v4 path' }] : [200, snapshot.withTags];
    case '/stats':
      return container ? [200, containerStats(container)] : noContainer;
    default: {
      const containers = Array.isArray(snapshot.task.Containers) ? (snapshot.task.Containers as Json[]) : [];
      return [
        200,
        Object.fromEntries(containers.map((c) => [String(c.DockerId ?? c.Name), containerStats(c)])),
      ];
    }
  }
}
