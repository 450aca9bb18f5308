// Login rule of SPEC 4.2: lowercase the name and drop spaces; anything that is then not plain
// ASCII letters and digits (or empty) becomes `user`. At most 32 characters.
export function deriveLogin(name: string): string {
  const login = name.toLowerCase().replace(/ /g, '');
  if (!/^[a-z0-9]+$/.test(login)) return 'user';
  return login.slice(0, 32);
}

export const LOGIN_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;
