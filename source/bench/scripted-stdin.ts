/**
 * A terminal's stdin driven by code: what Ink reads keys from in the UI
 * benchmarks (and the UI tests). `send` queues input and announces it the way
 * a raw-mode TTY stream does ('readable', then `read()`).
 */
import { EventEmitter } from 'node:events';

export class ScriptedStdin extends EventEmitter {
  isTTY = true;
  private pending: string[] = [];
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => this.pending.shift() ?? null;
  send(data: string): void {
    this.pending.push(data);
    this.emit('readable');
  }
}
