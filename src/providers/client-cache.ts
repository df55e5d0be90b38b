// One SDK client per distinct configuration (base URL, key, auth style) for the life of the process: the
// connection is reused and nothing is set up again per call.
export function clientCache<T>(): (id: string, create: () => T) => T {
  const clients = new Map<string, T>();
  return (id, create) => {
    let client = clients.get(id);
    if (!client) {
      client = create();
      clients.set(id, client);
    }
    return client;
  };
}
