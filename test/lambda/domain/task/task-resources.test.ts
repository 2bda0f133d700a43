import { describe, expect, it } from 'vitest';
import { formatImage, formatTaskSize } from '../../../../lambda/domain/task/task-resources.js';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('formatImage', () => {
  it('shows repository:tag without the registry host, and the digest that ran to 12 digits', () => {
    expect(
      formatImage('210987654321.dkr.ecr.eu-west-1.amazonaws.com/customer-import:2024-11-04', DIGEST),
    ).toBe('customer-import:2024-11-04 @sha256:0123456789ab');
  });

  it('keeps Docker Hub and public registry paths readable', () => {
    expect(formatImage('public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', undefined)).toBe(
      'aws-observability/aws-for-fluent-bit:stable',
    );
    expect(formatImage('nginx:1.27', undefined)).toBe('nginx:1.27');
    expect(formatImage('localhost:5000/job', undefined)).toBe('job');
  });

  it('shortens an image named by digest, and does not repeat that digest', () => {
    expect(formatImage(`registry.example:5000/team/job@${DIGEST}`, DIGEST)).toBe(
      'team/job@sha256:0123456789ab',
    );
  });

  it('shows the digest alone when the image is unknown, nothing when both are', () => {
    expect(formatImage(undefined, DIGEST)).toBe('sha256:0123456789ab');
    expect(formatImage(undefined, undefined)).toBeUndefined();
  });
});

describe('formatTaskSize', () => {
  it('shows CPU units as vCPU and MiB as GiB when a GiB or more', () => {
    expect(formatTaskSize('1024', '2048')).toBe('1 vCPU · 2 GiB');
    expect(formatTaskSize('256', '512')).toBe('0.25 vCPU · 512 MiB');
    expect(formatTaskSize('1536', '3584')).toBe('1.5 vCPU · 3.5 GiB');
  });

  it('shows what is known, and values that are not numbers as written', () => {
    expect(formatTaskSize(undefined, '512')).toBe('512 MiB');
    expect(formatTaskSize('1 vCPU', undefined)).toBe('1 vCPU');
    expect(formatTaskSize('0', undefined)).toBeUndefined();
    expect(formatTaskSize(undefined, undefined)).toBeUndefined();
  });
});
