/**
 * The layering, checked in CI (`npm run lint`): see ARCHITECTURE.md › "One shape for every context".
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'A domain (deciders, events) imports no framework, no adapter and nothing that does I/O.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        dependencyTypesNot: ['type-only'],
        path: [
          '^node_modules/(@nestjs|fastify|@fastify|mongodb|ioredis|bullmq|better-sqlite3|@kurrent|@slack|pino|nestjs-pino|rxjs|class-validator|class-transformer)/',
          '^libs/(event-store|read-store|infrastructure|runtime|projector|observability|testing)/',
          '^(fs|net|http|https|http2|child_process|worker_threads|dgram|dns|tls)$',
        ],
      },
    },
    {
      name: 'domain-imports-no-application',
      comment: 'The domain knows nothing of the use cases, projections or reactors around it.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/src/domain/' },
      to: { path: '^libs/$1/src/(application|projections|reactors)/' },
    },
    {
      name: 'contexts-meet-at-index',
      comment: 'A lib uses another only through its index.ts (its public surface), never a file inside it.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'apps-use-libs-through-index',
      severity: 'error',
      from: { path: '^(apps|bench|test)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|bench|test)/' },
    },
    {
      name: 'processes-load-heavy-modules-once-signals-are-handled',
      comment:
        "A process's entry loads the infrastructure and the API app only from inside its start (import()), once SIGTERM/SIGINT are handled: loaded statically, they take a second in which a signal kills the process.",
      severity: 'error',
      from: { path: '^apps/(api|worker|projector)/src/main\\.ts$' },
      to: { path: ['^libs/infrastructure/', '^apps/api/src/bootstrap/create-api-app\\.ts$'], dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'apps-stay-apart',
      comment: 'An app does not reach into another app.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|node_modules)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
