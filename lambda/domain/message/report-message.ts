import type { Report } from '../report/report.js';
import { buildBatchMessage, buildPlainBatchMessage } from './batch-message.js';
import { buildDeploymentMessage, buildPlainDeploymentMessage } from './deployment-message.js';
import { buildLaunchMessage, buildPlainLaunchMessage } from './launch-message.js';
import { buildPlainServiceMessage, buildServiceMessage } from './service-message.js';
import {
  buildPlainTextMessage,
  buildSlackMessage,
  type SlackMessage,
  type SuccessStyle,
} from './slack-message.js';

/** The message for one report, built by its kind's builder in the house style. */
export function buildReportMessage(report: Report, options: { successes?: SuccessStyle } = {}): SlackMessage {
  switch (report.kind) {
    case 'task':
      return buildSlackMessage(report, options);
    case 'service':
      return buildServiceMessage(report);
    case 'deployment':
      return buildDeploymentMessage(report);
    case 'launch':
      return buildLaunchMessage(report);
    case 'batch':
      return buildBatchMessage(report);
  }
}

/** The same facts as text only, for when Slack refuses the blocks. */
export function buildPlainReportMessage(report: Report): SlackMessage {
  switch (report.kind) {
    case 'task':
      return buildPlainTextMessage(report);
    case 'service':
      return buildPlainServiceMessage(report);
    case 'deployment':
      return buildPlainDeploymentMessage(report);
    case 'launch':
      return buildPlainLaunchMessage(report);
    case 'batch':
      return buildPlainBatchMessage(report);
  }
}
