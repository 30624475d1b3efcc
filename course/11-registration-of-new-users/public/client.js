// The chat page's own script (Express: public/client.js). Lesson 17 connects
// it to the server; until then it only keeps the form from reloading the page.
document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('m');
  input.value = '';
});
