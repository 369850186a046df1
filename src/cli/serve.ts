/** For commands that serve in the foreground (cluster start, controller, metrics up). */

/** Resolves once SIGINT or SIGTERM arrived and `stop` finished. */
export function serveUntilSignal(stop: () => Promise<unknown>): Promise<void> {
  return new Promise<void>((done) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void stop().then(() => done());
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
