/* global io */
// The browser side of the chat page. The Socket.IO client script, loaded
// before this one, defines io(). Everything the server sends is shown with
// textContent, never as HTML: a name or message such as
// <img src=x onerror=alert(1)> appears as those characters and runs nothing.

// Express lesson: let socket = io();
let socket = io();

// Express lesson: socket.on('user count', data => console.log(data));
socket.on('user count', showUserCount);

// Express lesson: socket.on('user', data => { $('#num-users').text(data.currentUsers + ' users online'); let message = data.username + (data.connected ? ' has joined the chat.' : ' has left the chat.'); $('#messages').append($('<li>').html('<b>' + message + '</b>')); });
// Here as text: .html() would run whatever HTML a username holds.
// During a burst the server sends one 'user' for everyone who came and went
// meanwhile, with how many: it is shown as one line, "12 users joined, 3 left."
socket.on('user', (data) => {
  showUserCount(data.currentUsers);
  if (data.joined === undefined) {
    const change = data.connected ? 'has joined the chat.' : 'has left the chat.';
    addToMessages(`${data.username} ${change}`, 'announcement');
  } else {
    addToMessages(describeBurst(data.joined, data.left), 'announcement');
  }
});

// Express lesson: socket.on('chat message', data => { $('#messages').append($('<li>').text(`${data.username}: ${data.message}`)); });
socket.on('chat message', (data) => {
  addToMessages(`${data.username}: ${data.message}`);
});

// Only this tab hears why the server refused its message, and why the server
// closes this tab's connection (logged out, more tabs open than a browser may
// have, too many messages too fast): it says why first.
socket.on('chat error', (error) => {
  addToMessages(error.message, 'error');
});

// The server refused the connection (not logged in, say): its reason is the
// error's message. A socket that is still `active` is only retrying after a
// network hiccup, which needs no message.
socket.on('connect_error', (error) => {
  if (!socket.active) {
    addToMessages(error.message, 'error');
  }
});

// Express lesson: $('form').submit(() => { let messageToSend = $('#m').val(); socket.emit('chat message', messageToSend); $('#m').val(''); return false; });
document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('m');
  socket.emit('chat message', input.value);
  input.value = '';
});

// Writes "N users online" ("1 user online") into #num-users.
function showUserCount(currentUsers) {
  const noun = currentUsers === 1 ? 'user' : 'users';
  document.getElementById('num-users').textContent = `${currentUsers} ${noun} online`;
}

// "12 users joined, 3 left.", "2 users joined." or "1 user left."
function describeBurst(joined, left) {
  const people = (count) => `${count} ${count === 1 ? 'user' : 'users'}`;
  if (left === 0) {
    return `${people(joined)} joined.`;
  }
  if (joined === 0) {
    return `${people(left)} left.`;
  }
  return `${people(joined)} joined, ${left} left.`;
}

// Adds one line to #messages as an <li>, as text. The newest line stays in
// view, unless the reader has scrolled up to read older ones.
function addToMessages(text, className) {
  const messages = document.getElementById('messages');
  const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 2;
  const item = document.createElement('li');
  item.textContent = text;
  if (className) {
    item.className = className;
  }
  messages.appendChild(item);
  if (atBottom) {
    messages.scrollTop = messages.scrollHeight;
  }
}
