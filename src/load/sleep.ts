/** Abortable sleeps on the real clock (defined in core so every Clock can offer them). */
export { sleep, sleepUntil } from '../core/clock.js';
