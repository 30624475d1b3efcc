/* global io */
// The chat page's own script (Express: public/client.js). The Socket.IO
// client, loaded before it, defines io().

// Express lesson: let socket = io();
let socket = io();

// Express lesson: socket.on('user', data => { $('#num-users').text(data.currentUsers + ' users online'); let message = data.username + (data.connected ? ' has joined the chat.' : ' has left the chat.'); $('#messages').append($('<li>').html('<b>' + message + '</b>')); });
socket.on('user', (data) => {
  document.getElementById('num-users').textContent = `${data.currentUsers} users online`;
  const change = data.connected ? 'has joined the chat.' : 'has left the chat.';
  addToMessages(`${data.username} ${change}`);
});

// Express lesson: socket.on('chat message', (data) => { $('#messages').append($('<li>').text(`${data.username}: ${data.message}`)); });
socket.on('chat message', (data) => {
  addToMessages(`${data.username}: ${data.message}`);
});

// Express lesson: $('form').submit(function () { var messageToSend = $('#m').val(); socket.emit('chat message', messageToSend); $('#m').val(''); return false; });
document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('m');
  socket.emit('chat message', input.value);
  input.value = '';
});

// Adds a line to #messages, as text: .html() would run whatever HTML a
// username holds, such as <img src=x onerror=alert(1)>.
function addToMessages(text) {
  const li = document.createElement('li');
  li.textContent = text;
  document.getElementById('messages').appendChild(li);
}
