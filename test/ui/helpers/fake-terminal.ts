/**
 * A fake terminal: stdout with a settable size that emits 'resize' (and 'write' for every
 * write), and stdin that accepts keys. No Ink import here: test/app loads Ink through the
 * app's own loader (which must run first), and uses these too.
 */
import { EventEmitter } from 'node:events';
import { ScriptedStdin } from '../../../source/bench/scripted-stdin.js';

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

/** Stdin that accepts keys: `write` is what a person typing sends. */
export class FakeStdin extends ScriptedStdin {
  write(data: string): void {
    this.send(data);
  }
}
