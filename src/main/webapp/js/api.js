// Porthole's HTTP API, called with URLs relative to the page so that a context path (/porthole/) just works.

/** A failed call: the HTTP status and the server's {"error": "..."} message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let signedOutHandler = () => {};

/** Called whenever a call answers 401: the session ended (sign-out elsewhere, timeout, restart). */
export function onSignedOut(handler) {
  signedOutHandler = handler;
}

async function call(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'Porthole does not answer: check your connection');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    // not JSON: a proxy's error page, say
  }
  if (!response.ok) {
    const error = new ApiError(response.status, (json && json.error) || `request failed (${response.status})`);
    if (response.status === 401 && !path.endsWith('auth/login')) {
      signedOutHandler(error);
    }
    throw error;
  }
  return json;
}

const q = encodeURIComponent;

export const api = {
  session: () => call('GET', 'api/auth/session'),
  signIn: (username, password) => call('POST', 'api/auth/login', { username, password }),
  signOut: () => call('POST', 'api/auth/logout'),
  environments: () => call('GET', 'api/environments'),
  containers: (envId) => call('GET', `api/containers?envId=${q(envId)}`),
  shells: (envId, container) => call('GET', `api/containers/${q(container)}/shells?envId=${q(envId)}`),
  createExec: (envId, container, shell, user) =>
    call('POST', `api/containers/${q(container)}/exec?envId=${q(envId)}`, { shell, user }),
  resize: (envId, execId, rows, cols) =>
    call('POST', `api/containers/exec/${q(execId)}/resize?envId=${q(envId)}&h=${rows}&w=${cols}`),
};

/**
 * The terminal socket's address, resolved against the page like every other call, with ws: or wss:. It carries the
 * size the shell starts with, which spares a resize request before the socket.
 */
export function attachUrl(envId, execId, rows, cols) {
  const url = new URL(`api/containers/exec/${q(execId)}/attach?envId=${q(envId)}&h=${rows}&w=${cols}`,
    document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
