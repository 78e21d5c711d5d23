/**
 * A search of a Mahavishnu server's memory (`pool_search_memory`), which a backend that reached the server offers
 * the memory cache; may reject.
 */
export type MemorySearch = (query: string, limit: number) => Promise<unknown[]>;
