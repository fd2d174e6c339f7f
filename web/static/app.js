// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", () => {
      document.querySelectorAll('#gap-table input[name="ids"]').forEach((box) => {
        box.checked = all.checked;
      });
    });
  }
  const form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", () => {
      document.getElementById("upload-progress").hidden = false;
      document.getElementById("upload-submit").disabled = true;
    });
  }
});
