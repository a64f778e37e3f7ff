/** What a sensor answers to one task: LimaCharlie names the event `<COMMAND>_REP`. */
export interface SensorReply {
  eventType: string;
  event: Record<string, unknown>;
}

type ReplyBuilder = (args: string[]) => Record<string, unknown>;

const SAMPLE_HASH = '0f343b0931126a20f133d67c2b018a3b0da5ed11ad8aa1cbeb4e7c5e2e1e6f3a';

/** Plausible answers for the tasks services send most; other commands get an empty event. */
const BUILDERS: Record<string, ReplyBuilder> = {
  os_packages: () => ({
    PACKAGES: [
      { name: 'bash', version: '5.2.15-2+b7' },
      { name: 'curl', version: '7.88.1-10+deb12u8' },
      { name: 'openssl', version: '3.0.15-1~deb12u1' },
      { name: 'openssh-server', version: '1:9.2p1-2+deb12u3' },
    ],
  }),
  os_version: () => ({ OS_NAME: 'Debian GNU/Linux', VERSION_MAJOR: 12, VERSION_MINOR: 8 }),
  os_processes: () => ({
    PROCESSES: [
      { PROCESS_ID: 1, FILE_PATH: '/sbin/init', COMMAND_LINE: '/sbin/init' },
      { PROCESS_ID: 812, FILE_PATH: '/usr/sbin/sshd', COMMAND_LINE: 'sshd: /usr/sbin/sshd -D' },
      { PROCESS_ID: 4242, FILE_PATH: '/usr/bin/bash', COMMAND_LINE: '-bash' },
    ],
  }),
  os_services: () => ({
    SVCS: [
      { SVC_NAME: 'ssh', SVC_STATE: 'running', PROCESS_ID: 812 },
      { SVC_NAME: 'cron', SVC_STATE: 'running', PROCESS_ID: 640 },
    ],
  }),
  os_autoruns: () => ({ AUTORUNS: [{ FILE_PATH: '/etc/rc.local' }] }),
  os_users: () => ({ USERS: [{ USER_NAME: 'root' }, { USER_NAME: 'admin' }] }),
  netstat: () => ({
    NETWORK_ACTIVITY: [
      {
        PROTOCOL: 'tcp4',
        STATE: 'LISTEN',
        SOURCE: { IP_ADDRESS: '0.0.0.0', PORT: 22 },
        PROCESS_ID: 812,
      },
    ],
  }),
  file_hash: ([path = '/usr/bin/curl']) => ({ FILE_PATH: path, HASH: SAMPLE_HASH }),
  file_info: ([path = '/usr/bin/curl']) => ({
    FILE_PATH: path,
    FILE_SIZE: 260328,
    FILE_IS_DIRECTORY: false,
  }),
  dir_list: ([root = '/tmp']) => ({
    DIR_LIST: [
      { FILE_PATH: `${root}/notes.txt`, FILE_SIZE: 512 },
      { FILE_PATH: `${root}/run.sh`, FILE_SIZE: 2048 },
    ],
  }),
};

/** The reply a sensor sends to one tasked command line (`os_packages`, `file_hash /bin/ls`). */
export function sensorReply(command: string): SensorReply {
  const [name = '', ...args] = command.trim().split(/\s+/);
  const builder = Object.hasOwn(BUILDERS, name) ? BUILDERS[name] : undefined;
  return {
    eventType: `${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}_REP`,
    event: builder ? builder(args) : {},
  };
}
