import { Injectable } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { IsSid, LcCommand, LcData, LcHandler, LcOid, LcParam, lcResponse } from 'nestjs-lc-service';
import type { LcHealthMtd } from '../../src/health/lc-health.js';
import { TEST_OID } from 'nestjs-lc-service/testing';
import { ADAPTERS, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const SID = '0b7c1e4d-2f3a-4b5c-8d9e-0f1a2b3c4d5e';
const NOT_IMPLEMENTED = {
  success: false,
  retry: false,
  data: { error: 'not implemented' },
  error: 'not implemented',
};

class TagArgs {
  @LcParam({ description: 'the sensor to tag' })
  @IsSid()
  sid!: string;

  @LcParam({ description: 'the tag' })
  @IsString()
  tag!: string;

  @LcParam({ description: 'seconds the tag lives' })
  @IsOptional()
  @IsInt()
  @Min(60)
  ttl = 3600;
}

class IsolateArgs {
  @LcParam({ description: 'the sensor', index: 1 })
  @IsSid()
  sid!: string;

  @LcParam({ description: 'what to do', index: 0 })
  @IsIn(['isolate', 'rejoin'])
  action!: string;
}

@Injectable()
class Commands {
  @LcCommand({ name: 'tag', description: 'Tag a sensor', args: TagArgs })
  tag(@LcData() args: TagArgs, @LcData('ttl') ttl: number, @LcOid() oid: string) {
    return lcResponse({ data: { isDto: args instanceof TagArgs, args: { ...args }, ttl, oid } });
  }

  @LcCommand({ name: 'isolate', description: 'Isolate or rejoin a sensor', args: IsolateArgs })
  isolate(@LcData() args: IsolateArgs) {
    return lcResponse({ data: { action: args.action } });
  }

  @LcCommand({ name: 'ping', description: 'Answers pong' })
  ping(@LcData() data: Record<string, unknown>) {
    return lcResponse({ data: { pong: true, got: data } });
  }
}

@Injectable()
class OtherCommands {
  @LcHandler('command')
  rest(@LcData('command_name') name: unknown) {
    return lcResponse({ data: { catchAll: name ?? null } });
  }
}

async function mtdOf(t: LcTestApp): Promise<LcHealthMtd> {
  const res = await t.client.send('health');
  return (res.body.data as { mtd: LcHealthMtd }).mtd;
}

describe.each(ADAPTERS)('@LcCommand over HTTP (%s)', (adapter) => {
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({ adapter, providers: [Commands] });
  });
  afterAll(() => t.close());

  it('advertises the commands and the command callback in health', async () => {
    const mtd = await mtdOf(t);
    expect(mtd.callbacks).toEqual(['command', 'get_resource', 'health']);
    expect(mtd.request_params).toEqual({});
    expect(mtd.commands).toEqual({
      tag: {
        name: 'tag',
        desc: 'Tag a sensor',
        args: {
          sid: { type: 'sid', desc: 'the sensor to tag', is_required: true, index: 0 },
          tag: { type: 'str', desc: 'the tag', is_required: true, index: 1 },
          ttl: { type: 'int', desc: 'seconds the tag lives', is_required: false, index: 2 },
        },
      },
      isolate: {
        name: 'isolate',
        desc: 'Isolate or rejoin a sensor',
        args: {
          sid: { type: 'sid', desc: 'the sensor', is_required: true, index: 1 },
          action: {
            type: 'enum',
            desc: 'what to do',
            is_required: true,
            values: ['isolate', 'rejoin'],
            index: 0,
          },
        },
      },
      ping: { name: 'ping', desc: 'Answers pong', args: {} },
    });
  });

  it('routes by command_name and hands the handler the validated args DTO', async () => {
    const res = await t.client.send('command', {
      data: { command_name: 'tag', sid: SID, tag: 'vip', ttl: null },
    });
    expect(res.body).toEqual({
      success: true,
      data: { isDto: true, args: { sid: SID, tag: 'vip', ttl: 3600 }, ttl: 3600, oid: TEST_OID },
    });
    const isolate = await t.client.send('command', {
      data: { command_name: 'isolate', sid: SID, action: 'rejoin' },
    });
    expect(isolate.body).toEqual({ success: true, data: { action: 'rejoin' } });
  });

  it('hands a command without args DTO the raw data', async () => {
    const data = { command_name: 'ping', anything: [1, 2] };
    const res = await t.client.send('command', { data });
    expect(res.body).toEqual({ success: true, data: { pong: true, got: data } });
  });

  it.each([
    ['a missing arg', { command_name: 'tag', sid: SID }, 'missing parameter tag'],
    [
      'a bad sid',
      { command_name: 'tag', sid: 'x', tag: 'a' },
      'invalid parameter sid: wrong data type',
    ],
    [
      'true as an int',
      { command_name: 'tag', sid: SID, tag: 'a', ttl: true },
      'invalid parameter ttl: wrong data type',
    ],
    [
      'a value under @Min',
      { command_name: 'tag', sid: SID, tag: 'a', ttl: 5 },
      'invalid parameter ttl: must not be less than 60',
    ],
    [
      'a bad enum value',
      { command_name: 'isolate', sid: SID, action: 'reboot' },
      'invalid parameter action: enum has invalid value',
    ],
  ])('refuses %s with the RI string', async (_case, data, error) => {
    const res = await t.client.send('command', { data });
    expect(res.body).toEqual({ success: false, retry: false, data: {}, error });
  });

  it('answers an unknown, missing or non-string command name with not implemented', async () => {
    for (const data of [{ command_name: 'reboot' }, {}, { command_name: 7 }]) {
      const res = await t.client.send('command', { data });
      expect(res.body).toEqual(NOT_IMPLEMENTED);
    }
  });
});

describe.each(ADAPTERS)(
  'named commands next to a catch-all @LcHandler(command) (%s)',
  (adapter) => {
    let t: LcTestApp;
    beforeAll(async () => {
      t = await startLcApp({ adapter, providers: [Commands, OtherCommands] });
    });
    afterAll(() => t.close());

    it('sends named commands to their handler and the rest to the catch-all', async () => {
      const named = await t.client.send('command', { data: { command_name: 'ping' } });
      expect(named.body.data).toEqual({ pong: true, got: { command_name: 'ping' } });
      const other = await t.client.send('command', { data: { command_name: 'reboot' } });
      expect(other.body).toEqual({ success: true, data: { catchAll: 'reboot' } });
      const nameless = await t.client.send('command', { data: {} });
      expect(nameless.body).toEqual({ success: true, data: { catchAll: null } });
    });

    it('lists command once in callbacks, and only the named commands in commands', async () => {
      const mtd = await mtdOf(t);
      expect(mtd.callbacks).toEqual(['command', 'get_resource', 'health']);
      expect(Object.keys(mtd.commands)).toEqual(['tag', 'isolate', 'ping']);
    });
  },
);

@Injectable()
class DuplicateTag {
  @LcCommand({ name: 'tag', description: 'another tag' })
  again() {
    return true;
  }
}

@Injectable()
class NoDescription {
  @LcCommand({ name: 'quiet', description: '' })
  quiet() {
    return true;
  }
}

class Undescribed {
  @IsString()
  who!: string;
}

@Injectable()
class UndescribedArgs {
  @LcCommand({ name: 'who', description: 'who is it', args: Undescribed })
  who() {
    return true;
  }
}

async function bootError(providers: unknown[]): Promise<string> {
  try {
    const t = await startLcApp({ providers: providers as never });
    await t.close();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the app booted');
}

describe('@LcCommand boot errors', () => {
  it('refuses two handlers for one command name', async () => {
    expect(await bootError([Commands, DuplicateTag])).toBe(
      "LcServiceModule: two handlers for command 'tag': Commands.tag and DuplicateTag.again both handle it. Keep one handler per command.",
    );
  });

  it('refuses a command without description, and args without @LcParam', async () => {
    expect(await bootError([NoDescription])).toBe(
      'LcServiceModule: @LcCommand({ name: "quiet" }) on NoDescription.quiet: @LcCommand needs a non-empty \'description\' (LimaCharlie shows it in the command list).',
    );
    expect(await bootError([UndescribedArgs])).toMatch(
      /^LcServiceModule: @LcCommand\(\{ name: "who" \}\) on UndescribedArgs\.who: Undescribed\.who is validated but has no @LcParam/,
    );
  });
});
