/** Components on their own, with ink-testing-library (its stdout is 100 columns wide). */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { shareWidth, StatusBar } from '../../source/ui/components/status-bar.js';
import { Table, type Column } from '../../source/ui/components/table.js';
import { displayWidth, fit } from '../../source/ui/format/width.js';
import { MONO_THEME } from '../../source/ui/theme.js';
import { filledStore } from './helpers/fixtures.js';

interface Row {
  readonly id: string;
  readonly name: string;
  readonly n: string;
}

const columns: Column<Row>[] = [
  { id: 'name', header: 'Name', width: 'flex', cell: (r) => r.name },
  { id: 'n', header: 'N', width: 5, align: 'right', cell: (r) => r.n },
];

describe('Table', () => {
  it('one line per row, padded to the width, cursor marker, truncation with …, filler to its height', () => {
    const rows: Row[] = [
      { id: 'a', name: 'short', n: '1' },
      { id: 'b', name: 'a name far too long for the twenty columns it gets', n: '22' },
      { id: 'c', name: '東京 wide chars', n: '3' },
    ];
    const { lastFrame, unmount } = render(
      <Table columns={columns} rows={rows} rowKey={(r) => r.id} selectedKey="b" height={5} theme={MONO_THEME} width={28} />,
    );
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '  Name                     N',
      '  short                    1',
      '› a name far too long…    22',
      '  東京 wide chars          3',
    ]);
    expect(lines).toHaveLength(6);
    unmount();
  });

  it('says so when empty', () => {
    const { lastFrame, unmount } = render(
      <Table columns={columns} rows={[]} rowKey={(r) => r.id} selectedKey={null} height={3} theme={MONO_THEME} width={28} empty="Nothing here." />,
    );
    expect(lastFrame()).toContain('  Nothing here.');
    unmount();
  });
});

describe('text fitting', () => {
  it('fit gives exactly the width, for wide and combining characters too', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abc', 5, 'right')).toBe('  abc');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth(fit('東京東京', 5))).toBe(5);
    expect(fit('a\nb', 3)).toBe('a b');
  });

  it('side-by-side items share the width, the short one keeping what it needs', () => {
    expect(shareWidth([20, 30], 80, 3)).toEqual([20, 30]);
    expect(shareWidth([20, 70], 80, 3)).toEqual([20, 57]);
    expect(shareWidth([60, 70], 80, 3)).toEqual([39, 38]);
  });
});

describe('StatusBar', () => {
  it('mode, update age, actionable counts, database file and both venues', () => {
    const { store } = filledStore();
    const { lastFrame, unmount } = render(<StatusBar snapshot={store.getSnapshot()} theme={MONO_THEME} columns={100} />);
    expect(lastFrame()).toBe(
      [
        'arb-tui 0.1.0 PAPER DEMO │ upd 0.3s ago │ 2 approved · 2 tradable │ db …/2026-05-12.sqlite',
        'kalshi live 0.3s · 1,240 mkts   polymarket rate-limited HTTP 429 · retry in 4.0s',
      ].join('\n'),
    );
    unmount();
  });
});
