/* SPDX-License-Identifier: MIT */
/*
 * report.js -- sortable and filterable tables for the HTML report, inlined
 * by reports/report_html.c.  The report is complete without it.
 *
 * Safety rule: log text is data.  This script only reads textContent (and
 * the writer's own data-sort numbers) and only moves existing rows or sets
 * `hidden`; it never writes HTML (no innerHTML, insertAdjacentHTML,
 * document.write) and never builds URLs, so nothing in a log line can
 * become markup or code here.
 */
(function () {
	"use strict";

	/* Sort key of a cell: the writer's data-sort number when present,
	 * else a number when the text is one ("1,234"), else the text. */
	function cellKey(cell) {
		var ds, t, n;
		if (!cell)
			return { n: null, t: "" };
		ds = cell.getAttribute("data-sort");
		if (ds !== null && ds !== "" && isFinite(ds))
			return { n: parseFloat(ds), t: "" };
		t = cell.textContent.trim();
		n = t.replace(/,/g, "");
		if (/^-?\d+(\.\d+)?$/.test(n))
			return { n: parseFloat(n), t: t };
		return { n: null, t: t.toLowerCase() };
	}

	function compare(a, b) {
		if (a.n !== null && b.n !== null)
			return a.n - b.n;
		if (a.n !== null)
			return -1;
		if (b.n !== null)
			return 1;
		return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
	}

	function sortTable(table, th, col) {
		var body = table.tBodies[0];
		var asc = th.getAttribute("aria-sort") !== "ascending";
		var heads = table.tHead.rows[0].cells;
		var rows = [], i;
		for (i = 0; i < body.rows.length; i++)
			rows.push({ r: body.rows[i], k: cellKey(body.rows[i].cells[col]), i: i });
		rows.sort(function (x, y) {
			var c = compare(x.k, y.k);
			if (!asc)
				c = -c;
			return c !== 0 ? c : x.i - y.i;
		});
		for (i = 0; i < heads.length; i++)
			heads[i].removeAttribute("aria-sort");
		th.setAttribute("aria-sort", asc ? "ascending" : "descending");
		for (i = 0; i < rows.length; i++)
			body.appendChild(rows[i].r);
	}

	function setupSort(table) {
		var heads = table.tHead ? table.tHead.rows[0].cells : [];
		Array.prototype.forEach.call(heads, function (th, col) {
			th.tabIndex = 0;
			th.addEventListener("click", function () { sortTable(table, th, col); });
			th.addEventListener("keydown", function (ev) {
				if (ev.key === "Enter" || ev.key === " ") {
					ev.preventDefault();
					sortTable(table, th, col);
				}
			});
		});
	}

	function setupFilter(tools) {
		var input = tools.querySelector("input");
		var count = tools.querySelector(".count");
		var table = document.getElementById(tools.getAttribute("data-table"));
		if (!input || !table)
			return;
		var rows = table.tBodies[0].rows;
		var texts = null;
		function apply() {
			var q = input.value.trim().toLowerCase();
			var shown = 0, i;
			if (texts === null) {
				texts = new Map();
				for (i = 0; i < rows.length; i++)
					texts.set(rows[i], rows[i].textContent.toLowerCase());
			}
			for (i = 0; i < rows.length; i++) {
				var hide = q !== "" && texts.get(rows[i]).indexOf(q) < 0;
				rows[i].hidden = hide;
				if (!hide)
					shown++;
			}
			if (count)
				count.textContent = q === "" ? "" : shown + " / " + rows.length;
		}
		input.addEventListener("input", apply);
		tools.hidden = false;
	}

	document.querySelectorAll("table.sortable").forEach(setupSort);
	document.querySelectorAll(".tools[data-table]").forEach(setupFilter);
})();
