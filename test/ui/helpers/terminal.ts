/**
 * A fake terminal for Ink: stdout with a settable size that emits 'resize',
 * and stdin that accepts keys. Frames are what Ink wrote (debug mode: whole
 * frames, no cursor movement), so a test reads the screen as the user sees it.
 * ink-testing-library's stdout is fixed at 100 columns and has no rows; the
 * app lays out to the terminal's size, so the full-screen tests use this.
 */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

export class FakeStdout extends EventEmitter {
  columns: number;
  rows: number;
  isTTY = true;
  readonly writes: string[] = [];
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (data: string): boolean => {
    this.writes.push(data);
    this.emit('write', data);
    return true;
  };
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
  hasColors(): boolean {
    return true;
  }
  lastWrite(): string {
    return this.writes[this.writes.length - 1] ?? '';
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private pending: string[] = [];
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => this.pending.shift() ?? null;
  write(data: string): void {
    this.pending.push(data);
    this.emit('readable');
  }
}

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
