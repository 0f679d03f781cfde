// Starts GraphiQL on the page the gateway serves at GET /graphql. Plain browser JavaScript, loaded
// after React, ReactDOM and GraphiQL's own bundle (all served by the gateway, see explorer.ts).
(() => {
  var settings = JSON.parse(document.getElementById('explorer-settings').textContent);
  // The page's own URL is the endpoint, also behind a proxy that serves it under another path.
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: JSON.stringify(settings.headers, null, 2),
      // Headers often hold a token: kept in this browser's storage only when the user asks.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
    }),
  );
})();
