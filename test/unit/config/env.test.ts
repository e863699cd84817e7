import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../../../src/config/index.js';

describe('loadEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadEnv({})).toEqual({
      redisUrl: undefined,
      prefix: 'refwatch',
      configFile: undefined,
      logLevel: 'info',
      discordToken: undefined,
      discordApiUrl: 'https://discord.com/api',
      slackBotToken: undefined,
      slackAppToken: undefined,
      slackApiUrl: undefined,
      slackSigningSecret: undefined,
      slackPort: 3000,
      httpPort: 8080,
      adminUser: 'admin',
      adminPassword: undefined,
      dataDir: './data',
    });
  });

  it('reads every variable', () => {
    const env = loadEnv({
      REDIS_URL: 'redis://10.0.0.5:6380/2',
      REFWATCH_PREFIX: 'rw-staging',
      REFWATCH_CONFIG: '/etc/refwatch.yaml',
      LOG_LEVEL: 'debug',
      DISCORD_TOKEN: 'abc.def.ghi',
      DISCORD_API_URL: 'http://127.0.0.1:4000/api',
      SLACK_BOT_TOKEN: 'xoxb-1-2-3',
      SLACK_APP_TOKEN: 'xapp-1-2',
      SLACK_API_URL: 'http://127.0.0.1:4001/api/',
      HTTP_PORT: '9100',
      ADMIN_USER: 'ops',
      ADMIN_PASSWORD: 's3cret',
      REFWATCH_DATA_DIR: '/var/lib/refwatch',
    });
    expect(env).toMatchObject({
      redisUrl: 'redis://10.0.0.5:6380/2',
      prefix: 'rw-staging',
      configFile: '/etc/refwatch.yaml',
      logLevel: 'debug',
      discordToken: 'abc.def.ghi',
      discordApiUrl: 'http://127.0.0.1:4000/api',
      slackBotToken: 'xoxb-1-2-3',
      slackAppToken: 'xapp-1-2',
      slackApiUrl: 'http://127.0.0.1:4001/api/',
      httpPort: 9100,
      adminUser: 'ops',
      adminPassword: 's3cret',
      dataDir: '/var/lib/refwatch',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadEnv({ DISCORD_TOKEN: '', HTTP_PORT: '', LOG_LEVEL: '' })).toMatchObject({
      discordToken: undefined,
      httpPort: 8080,
      logLevel: 'info',
    });
  });

  it('lists every problem at once, naming each variable, without echoing secrets', () => {
    let error: unknown;
    try {
      loadEnv({
        REDIS_URL: 'localhost:6379',
        HTTP_PORT: 'eighty',
        LOG_LEVEL: 'loud',
        SLACK_BOT_TOKEN: 'xapp-wrong-kind',
        DISCORD_API_URL: 'discord.com/api',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const envError = error as EnvError;
    expect(envError.issues.map((issue) => issue.path).sort()).toEqual(
      ['DISCORD_API_URL', 'HTTP_PORT', 'LOG_LEVEL', 'REDIS_URL', 'SLACK_BOT_TOKEN'].sort(),
    );
    expect(envError.message).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(envError.message).toContain('(got "localhost:6379")');
    expect(envError.message).toContain('HTTP_PORT: must be a port number');
    expect(envError.message).not.toContain('xapp-wrong-kind');
  });

  it('rejects a port above 65535', () => {
    expect(() => loadEnv({ HTTP_PORT: '70000' })).toThrow(/HTTP_PORT/);
  });
});

describe('HTTP_PORT', () => {
  it('defaults to 8080, takes a port, and "off" turns the endpoints off', () => {
    expect(loadEnv({}).httpPort).toBe(8080);
    expect(loadEnv({ HTTP_PORT: '9100' }).httpPort).toBe(9100);
    expect(loadEnv({ HTTP_PORT: 'off' }).httpPort).toBeUndefined();
    expect(() => loadEnv({ HTTP_PORT: 'eighty' })).toThrow(/HTTP_PORT.*port number/);
  });
});
