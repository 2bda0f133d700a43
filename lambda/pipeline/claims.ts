import { type Claim, resendKey, type SentLedger } from '../adapters/sent-ledger.js';

/** What claiming a member of a message found: it may be sent under `key`, or it ends here. */
export type MemberClaim =
  | { send: true; key: string; resend: boolean }
  | { send: false; status: 'skipped' | 'failed'; reason: string };

const DUPLICATE = 'duplicate: this task stop was already notified';

/**
 * Claims one task stop's key before its message is sent. A stop whose first send got no answer
 * (`unconfirmed`) may be sent once more, under its resend key; never a third time.
 */
export async function claimMember(
  ledger: SentLedger | undefined,
  key: string,
  remainingMs: number,
): Promise<MemberClaim> {
  if (!ledger) return { send: true, key, resend: false };
  const first = await tryClaim(ledger, key, remainingMs);
  if (first !== 'unconfirmed') return settle(first, key, false);
  const again = resendKey(key);
  const second = await tryClaim(ledger, again, remainingMs);
  if (second === 'unconfirmed') {
    return {
      send: false,
      status: 'skipped',
      reason: 'sent twice without an answer from Slack: it may have arrived, so it is not sent again',
    };
  }
  return settle(second, again, true);
}

async function tryClaim(
  ledger: SentLedger,
  key: string,
  remainingMs: number,
): Promise<Claim | { error: string }> {
  try {
    return await ledger.claim(key, remainingMs);
  } catch (error) {
    return { error: `idempotency store unavailable: ${(error as Error).name}` };
  }
}

function settle(
  claim: Exclude<Claim, 'unconfirmed'> | { error: string },
  key: string,
  resend: boolean,
): MemberClaim {
  if (claim === 'claimed') return { send: true, key, resend };
  if (claim === 'done') return { send: false, status: 'skipped', reason: DUPLICATE };
  if (claim === 'in-progress')
    return { send: false, status: 'failed', reason: 'another invocation is sending this notification' };
  return { send: false, status: 'failed', reason: claim.error };
}
