// bench/peers/node-ws/server.js: the peer of the chat fan-out benchmark. A plain
// broadcast room on npm `ws`, as its README shows it: every text message is sent
// to every open client. No JSON, no history, no store: the least a relay does.
// Usage: node server.js [port]   (prints "listening <port>"; loopback only)
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || 0);
const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws', perMessageDeflate: false, maxPayload: 8192 });

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});
wss.on('listening', () => console.log(`listening ${wss.address().port}`));
process.on('SIGTERM', () => process.exit(0));
