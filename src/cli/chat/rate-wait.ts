// A rate limit on the last candidate being waited out (the gateway's `wait` event), said on stderr: a countdown in
// the spinner on a terminal, one line otherwise — so a run that sits still for 20 s says why and for how long.
import type { GatewayEvent } from '../../core/gateway.ts';
import type { Output } from '../common/output.ts';
import type { Spinner } from './spinner.ts';

type WaitEvent = Extract<GatewayEvent, { type: 'wait' }>;

/** `groq rate-limits llama-3.1-8b-instant: asking again in 20 s` */
export function waitText(event: WaitEvent, leftMs: number): string {
  const seconds = Math.max(0, Math.ceil(leftMs / 1000));
  return `${event.provider} rate-limits ${event.model}: asking again in ${seconds} s`;
}

/** Shows the wait until the returned function is called (the next event); `now` is the real clock, injectable. */
export function showWait(
  out: Pick<Output, 'note'>,
  spinner: Spinner | undefined,
  event: WaitEvent,
  now: () => number = Date.now,
): () => void {
  if (!spinner) {
    out.note(`${waitText(event, event.ms)} (the limit lifts then; nothing else can answer)`);
    return () => {};
  }
  const end = now() + event.ms;
  spinner.text(waitText(event, event.ms));
  const timer = setInterval(() => spinner.text(waitText(event, end - now())), 1000);
  timer.unref();
  return () => clearInterval(timer);
}
