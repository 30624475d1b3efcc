/* global io */
// The chat page's own script (Express: public/client.js). The Socket.IO
// client, loaded before it, defines io().

// Express lesson: let socket = io();
let socket = io();

// Express lesson: socket.on('user count', function (data) { console.log(data); });
socket.on('user count', (data) => {
  console.log(data);
});

document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('m');
  input.value = '';
});
