"""Built-in action type ``tariffs``: duties on traded goods."""

from ._action import ActionPlugin

plugin = ActionPlugin(
    "tariffs",
    "Duties or levies on imported or exported goods, including threatened and retaliatory tariffs.",
)
