/**
 * A fake terminal for Ink: stdout with a settable size that emits 'resize',
 * and stdin that accepts keys. Frames are what Ink wrote (debug mode: whole
 * frames, no cursor movement), so a test reads the screen as the user sees it.
 * ink-testing-library's stdout is fixed at 100 columns and has no rows; the
 * app lays out to the terminal's size, so the full-screen tests use this.
 */
import { render } from 'ink';
import type { ReactElement } from 'react';

// The fakes live apart (they import no Ink, so tests of code that loads Ink itself can use them).
import { FakeStdin, FakeStdout } from './fake-terminal.js';

export { FakeStdin, FakeStdout };

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrlC: '\u0003',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  home: '\u001B[H',
  end: '\u001B[F',
} as const;

/** Let Ink process input and React commit (input is handled on the next ticks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((r) => setImmediate(r));
}

export interface Terminal {
  readonly stdout: FakeStdout;
  readonly stdin: FakeStdin;
  /** The last frame, trailing spaces trimmed per line. */
  frame(): string;
  press(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  unmount(): void;
  waitUntilExit(): Promise<unknown>;
}

export function trimFrame(frame: string): string {
  return frame
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
}

export function renderInTerminal(node: ReactElement, columns = 80, rows = 24): Terminal {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // Ink only settles an exit promise that exists when it exits: take it now.
  const exited = instance.waitUntilExit();
  exited.catch(() => undefined);
  return {
    stdout,
    stdin,
    frame: () => trimFrame(stdout.lastWrite()),
    async press(...keys: string[]) {
      for (const k of keys) {
        stdin.write(k);
        await settle();
      }
    },
    async resize(c: number, r: number) {
      stdout.resize(c, r);
      await settle();
    },
    unmount: () => instance.unmount(),
    waitUntilExit: () => exited,
  };
}
