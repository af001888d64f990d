import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableCells, tableDelimiter } from '../../../../adapters/console/ui/markdown-table.ts';

describe('GFM pipe-table rows', () => {
  it('splits cells with or without outer pipes, keeps escaped pipes and empty cells', () => {
    assert.deepEqual(tableCells('| a | b |'), ['a', 'b']);
    assert.deepEqual(tableCells('a | b'), ['a', 'b']);
    assert.deepEqual(tableCells('| a \\| b | | c'), ['a | b', '', 'c']);
    assert.deepEqual(tableCells('| ends with an escaped pipe \\|'), ['ends with an escaped pipe |']);
  });

  it('reads a delimiter row’s alignments and refuses anything else', () => {
    assert.deepEqual(tableDelimiter('|:--|:-:|--:|---|'), ['left', 'center', 'right', undefined]);
    assert.deepEqual(tableDelimiter(' --- | --- '), [undefined, undefined]);
    for (const line of ['| a | b |', '|---|x|', '|:|', '||', '| - - |']) assert.equal(tableDelimiter(line), undefined, line);
  });
});
