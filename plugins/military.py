"""Built-in action type ``military``: use of armed force by a state."""

from ._action import ActionPlugin

plugin = ActionPlugin(
    "military",
    "Use or authorisation of armed force by a state: strikes, raids, invasions, deployments "
    "to a conflict, blockades, shelling.",
)
