/** Resolves on the first SIGINT or SIGTERM, after logging which one arrived. */
export function untilStopSignal(log: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (sig: string) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log(`${sig}: stopping`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
