// Which persona logins exist in a decky's container, asked once per run and decky. Files under a
// persona's home are written as that user, so a login the container lacks is never replaced by
// root: its events are skipped (one warning per decky and login), or, with --create-users, the
// user is created first. Both outcomes are recorded in the state.
import type { Decky } from '../inputs/types.js';
import type { DockerDriver } from './docker.js';

export type LoginStatus = 'present' | 'created' | 'missing';

export interface UsersOptions {
  driver: DockerDriver;
  createUsers: boolean;
  /** Called once per login found missing or created. */
  onLogin: (decky: Decky, login: string, status: LoginStatus, detail: string | null) => void;
}

export class DeckyUsers {
  private known: Map<string, LoginStatus> | null = null;
  private readonly decky: Decky;
  private readonly homes: ReadonlyMap<string, string>;
  private readonly o: UsersOptions;

  constructor(decky: Decky, homes: ReadonlyMap<string, string>, o: UsersOptions) {
    this.decky = decky;
    this.homes = homes;
    this.o = o;
  }

  /** Whether `login` can own files now; an error string when the container cannot be asked. */
  async status(login: string): Promise<LoginStatus | { error: string }> {
    if (login === 'root') return 'present';
    if (this.known === null) {
      const logins = [...this.homes.keys()].filter((l) => l !== 'root').sort();
      const r = await this.o.driver.logins({ container: this.decky.container, docker: this.decky.docker, logins });
      if (r.status === 'error') return { error: r.message };
      this.known = new Map(logins.map((l) => [l, r.present.has(l) ? 'present' : 'missing']));
    }
    let s = this.known.get(login) ?? 'missing';
    if (s === 'missing' && !this.known.has(`${login}\u0000reported`)) {
      this.known.set(`${login}\u0000reported`, 'missing');
      if (this.o.createUsers && this.homes.has(login)) {
        const r = await this.o.driver.addUser({ container: this.decky.container, docker: this.decky.docker, login, home: this.homes.get(login)! });
        if (r.status === 'error') {
          this.known.delete(`${login}\u0000reported`);
          return { error: `cannot create user ${login}: ${r.message}` };
        }
        s = 'created';
        this.known.set(login, 'present');
        this.o.onLogin(this.decky, login, 'created', null);
      } else {
        this.o.onLogin(this.decky, login, 'missing', null);
      }
    }
    return s === 'created' ? 'present' : s;
  }
}
