// "Copy link" on the learner's certificates: shown only when script runs; without it the link stays visible
// and selectable in its read-only box.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = button.closest(".share")?.querySelector(".share__status");
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      let copied = false;
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch {
        // No clipboard permission: select the link so the learner can copy it themselves.
        field.select();
        copied = document.execCommand("copy");
      }
      if (status) status.textContent = copied ? button.dataset.copied : "";
    });
  }
});
