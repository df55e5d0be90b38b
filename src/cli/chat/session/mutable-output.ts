// The stream readline draws on (prompt, echo of typed keys), with a switch that silences it. While an answer
// streams, the keys typed ahead must not be echoed into the middle of it (and a line's last character left behind
// on the screen): readline still reads and edits them, but draws nothing until the switch is turned back.
// Everything else — columns, isTTY, 'resize' — is the real stream's.
export interface MutableOutput {
  stream: NodeJS.WritableStream;
  mute(): void;
  unmute(): void;
}

export function mutableOutput(target: NodeJS.WritableStream): MutableOutput {
  let muted = false;
  const silent = (...args: unknown[]): boolean => {
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  };
  const stream = new Proxy(target, {
    get(object, property) {
      if (property === 'write' && muted) return silent;
      const value = Reflect.get(object, property, object) as unknown;
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
  return { stream, mute: () => void (muted = true), unmute: () => void (muted = false) };
}
