/* global io */
// The browser side of the chat page. The Socket.IO client script, loaded
// before this one, defines io().

// Express lesson: let socket = io();
let socket = io();

// Express lesson: socket.on('user count', data => console.log(data));
socket.on('user count', (currentUsers) => {
  const noun = currentUsers === 1 ? 'user' : 'users';
  document.getElementById('num-users').textContent = `${currentUsers} ${noun} online`;
});

// Sending messages comes with lesson 22; until then the form only clears
// its input, without reloading the page.
document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  document.getElementById('m').value = '';
});
