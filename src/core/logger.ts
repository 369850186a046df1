/**
 * Logs go to stderr so that stdout can carry only the JSON document with --json.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child(prefix: string): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  options: { level?: LogLevel; write?: (line: string) => void; prefix?: string } = {},
): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const prefix = options.prefix ? `[${options.prefix}] ` : '';
  const at = (l: LogLevel) => (msg: string) => {
    if (order[l] >= order[level]) write(`${l === 'info' ? '' : l + ': '}${prefix}${msg}`);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (p) => createLogger({ level, write, prefix: options.prefix ? `${options.prefix}/${p}` : p }),
  };
}

export const silentLogger: Logger = createLogger({ write: () => {} });
