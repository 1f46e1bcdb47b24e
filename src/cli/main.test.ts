import { captureIo } from './cli-test-io';
import { COMMANDS, main } from './main';

describe('lead-scorer', () => {
  it('prints the commands with --help and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    for (const name of ['validate', 'explain', 'start', 'demo', 'connect']) expect(io.out()).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('prints the usage and exits 2 without a command', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('Usage: lead-scorer <command> [options]');
  });

  it('names an unknown command and suggests the closest', async () => {
    const io = captureIo();
    expect(await main(['valdate'], io)).toBe(2);
    expect(io.err()).toMatch(/^lead-scorer: unknown command "valdate" \(did you mean "validate"\?\)/);
  });

  it('passes "help <command>" on as "<command> --help"', async () => {
    const io = captureIo();
    expect(await main(['help', 'validate'], io)).toBe(0);
    expect(io.out()).toContain('Usage: lead-scorer validate');
  });

  it.each([['explain'], ['start'], ['demo'], ['connect']])('%s is in the dispatch table and prints its own usage with --help', async (name) => {
    expect(COMMANDS[name]).toBeDefined();
    const io = captureIo();
    expect(await main([name, '--help'], io)).toBe(0);
    expect(io.out()).toContain(`Usage: lead-scorer ${name}`);
  });

  it('does not take Object.prototype names for commands', async () => {
    const io = captureIo();
    expect(await main(['constructor'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "constructor"');
  });
});
