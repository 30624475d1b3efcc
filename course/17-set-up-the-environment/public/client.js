/* global io */
// The chat page's own script (Express: public/client.js). The Socket.IO
// client, loaded before it, defines io().

// Express lesson: let socket = io();
let socket = io();

document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('m');
  input.value = '';
});
