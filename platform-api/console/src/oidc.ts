// Single sign-on for the console: OpenID Connect's authorization code flow with PKCE, as a public
// client (no secret). The gateway says whether it is on (/console/sign-in.json); the provider's
// access token is then sent like a key, and the platform checks it as it checks every token.

export interface OidcSignIn {
  issuer: string;
  client_id: string;
  scope: string;
}

const PENDING = 'deltaplane.oidc.pending';

const redirectUri = () => `${window.location.origin}/console/`;

function base64url(bytes: Uint8Array): string {
  let text = '';
  bytes.forEach((b) => (text += String.fromCharCode(b)));
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function endpoints(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { credentials: 'omit' });
  if (!response.ok) throw new Error(`The identity provider's discovery document answered ${response.status}`);
  return response.json();
}

/** The gateway's sign-in options: null when the console signs in with API keys only. */
export async function signInOptions(): Promise<OidcSignIn | null> {
  const response = await fetch('/console/sign-in.json', { credentials: 'omit' });
  if (!response.ok) return null;
  return (await response.json()).oidc ?? null;
}

/** Leaves for the provider's sign-in page; it comes back to /console/ with a code. */
export async function beginSignIn(options: OidcSignIn): Promise<void> {
  const verifier = randomText();
  const state = randomText();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const { authorization_endpoint } = await endpoints(options.issuer);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, options }));
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.client_id,
    redirect_uri: redirectUri(),
    scope: options.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/**
 * Back from the provider: the code (when the state matches the one this tab sent) traded for an
 * access token, and the code taken out of the address bar. Null when this page load is no return.
 */
export async function completeSignIn(): Promise<string | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return null;
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  if (error) throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') || error}`);
  if (!pending) throw new Error('This sign-in was not started in this tab; sign in again.');
  const { verifier, state, options } = JSON.parse(pending);
  if (params.get('state') !== state) throw new Error('The sign-in came back with another state; sign in again.');
  const { token_endpoint } = await endpoints(options.issuer);
  const response = await fetch(token_endpoint, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: redirectUri(),
      client_id: options.client_id,
      code_verifier: verifier,
    }).toString(),
  });
  if (!response.ok) throw new Error(`The identity provider did not give a token (${response.status})`);
  const token = (await response.json()).access_token;
  if (!token) throw new Error('The identity provider gave no access token');
  return token;
}
