/** A pool id as Mahavishnu's BasePool makes it: the pool type and the Python object's id(). */
export const POOL_ID = /^mahavishnu_\d+$/;

/** The twelve pool tools of the real 0.11 server, in the order its tools/list gives them (the stand-in's too). */
export const POOL_TOOLS = [
  "pool_spawn",
  "pool_execute",
  "pool_route_execute",
  "dispatch_to_pool",
  "workflow_result",
  "pool_list",
  "pool_monitor",
  "pool_scale",
  "pool_close",
  "pool_close_all",
  "pool_health",
  "pool_search_memory",
];
