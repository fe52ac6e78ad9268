// "Copy link": progressive enhancement for the share links (they work without it).
for (const button of document.querySelectorAll("button.copy-link")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(button.dataset.url);
    button.textContent = button.dataset.done;
  });
}
