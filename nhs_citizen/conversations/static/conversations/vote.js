// Conversations: vote without reloading the page (progressive enhancement, issue 17).
// Without this script every vote is an ordinary form post and the page reloads, which works
// just as well. With it, the vote is sent with fetch and the next statement is swapped in.
const box = document.querySelector("[data-conversation-vote]");

function swapIn(html) {
  box.innerHTML = html;
  const next = box.querySelector("[data-conversation-next]");
  if (next) next.focus();
}

if (box && window.fetch && window.FormData) {
  box.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-vote-form]");
    if (!form) return;
    event.preventDefault();
    const data = new FormData(form, event.submitter);
    for (const button of form.querySelectorAll("button")) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "conversation-vote", Accept: "application/json" },
      });
      const answer = await response.json();
      if (answer.html) {
        swapIn(answer.html);
        return;
      }
      throw new Error(answer.error || "Your vote has not been saved. Try again.");
    } catch (error) {
      for (const button of form.querySelectorAll("button")) button.disabled = false;
      let said = form.querySelector("[data-vote-error]");
      if (!said) {
        said = document.createElement("p");
        said.className = "nhsuk-error-message";
        said.setAttribute("role", "alert");
        said.setAttribute("data-vote-error", "");
        form.prepend(said);
      }
      said.textContent = error.message && !error.message.startsWith("Unexpected")
        ? error.message
        : "Your vote has not been saved. Try again.";
    }
  });
}
