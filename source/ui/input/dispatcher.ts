/**
 * THE dispatcher: a key name and the active layers (top first) in, one
 * command out. A modal layer is exclusive: keys it does not bind go nowhere,
 * so nothing reaches the view underneath a ticket or a confirmation. The
 * `always` scope (Ctrl-C) is consulted first whatever is open.
 */
import { isPrintable, type KeyName } from './key-name.js';
import { KEYMAP, type Binding, type CommandId, type Scope } from './keymap.js';

export interface Layer {
  readonly scope: Scope;
  /** Stop here: keys this layer does not bind are swallowed. */
  readonly exclusive: boolean;
}

export interface Command {
  readonly id: CommandId;
  /** The character typed, for text bindings. */
  readonly text?: string;
}

export type Lookup = ReadonlyMap<Scope, { readonly keys: ReadonlyMap<KeyName, CommandId>; readonly text: Binding | null }>;

/** Index the keymap; throws when a key is bound twice in one scope (a keymap bug). */
export function buildLookup(keymap: readonly Binding[]): Lookup {
  const byScope = new Map<Scope, { keys: Map<KeyName, CommandId>; text: Binding | null }>();
  for (const b of keymap) {
    let entry = byScope.get(b.scope);
    if (!entry) {
      entry = { keys: new Map(), text: null };
      byScope.set(b.scope, entry);
    }
    for (const k of b.keys) {
      const taken = entry.keys.get(k);
      if (taken !== undefined) throw new Error(`keymap: ${k} bound to both ${taken} and ${b.id} in ${b.scope}`);
      entry.keys.set(k, b.id);
    }
    if (b.text !== undefined) {
      if (entry.text !== null) throw new Error(`keymap: two text bindings in ${b.scope}`);
      entry.text = b;
    }
  }
  return byScope;
}

const DEFAULT_LOOKUP = buildLookup(KEYMAP);

function textFor(binding: Binding, key: KeyName): string | null {
  if (binding.text === 'printable') return isPrintable(key) ? (key === 'space' ? ' ' : key) : null;
  if (binding.text === 'size') return /^[0-9.]$/.test(key) ? key : null;
  return null;
}

export function dispatch(key: KeyName, layers: readonly Layer[], lookup: Lookup = DEFAULT_LOOKUP): Command | null {
  const always = lookup.get('always')?.keys.get(key);
  if (always !== undefined) return { id: always };
  for (const layer of layers) {
    const entry = lookup.get(layer.scope);
    const id = entry?.keys.get(key);
    if (id !== undefined) return { id };
    if (entry?.text) {
      const text = textFor(entry.text, key);
      if (text !== null) return { id: entry.text.id, text };
    }
    if (layer.exclusive) return null;
  }
  return null;
}
